import { describe, expect, it } from "vitest";
import { diffLinesOf, foldContext, splitHighlighted, splitRows } from "./codeDiff";

describe("code diff rows", () => {
  const before = "a\nb\nc\nd\n";
  const after = "a\nB\nc\nd\ne\n";

  it("numbers every line on its side", () => {
    expect(diffLinesOf(before, after)).toEqual([
      { kind: "context", oldNo: 1, newNo: 1 },
      { kind: "removed", oldNo: 2, newNo: null },
      { kind: "added", oldNo: null, newNo: 2 },
      { kind: "context", oldNo: 3, newNo: 3 },
      { kind: "context", oldNo: 4, newNo: 4 },
      { kind: "added", oldNo: null, newNo: 5 },
    ]);
  });

  it("pairs removed with added lines side by side", () => {
    const rows = splitRows(diffLinesOf(before, after));
    expect(rows[1]).toEqual({ left: { kind: "removed", oldNo: 2, newNo: null }, right: { kind: "added", oldNo: null, newNo: 2 } });
    expect(rows.at(-1)).toEqual({ left: null, right: { kind: "added", oldNo: null, newNo: 5 } });
  });

  it("folds unchanged stretches beyond the context", () => {
    const text = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n");
    const lines = diffLinesOf(text, text.replace("line 10", "ten"));
    const folded = foldContext(lines, (line) => line.kind === "context", 2);
    expect(folded[0]).toEqual({ fold: 8, at: 0 });
    expect(folded.at(-1)).toEqual({ fold: 7, at: 14 });
    expect(folded.length).toBe(8);
  });

  it("keeps spans open across lines of highlighted html", () => {
    expect(splitHighlighted('x = <span class="s">"""a\nb"""</span>\ny')).toEqual([
      'x = <span class="s">"""a</span>',
      '<span class="s">b"""</span>',
      "y",
    ]);
  });
});
