/**
 * Reading a big graph at any zoom: a minimap (every node, the visible window, click or drag to
 * move there) for graphs over 100 nodes, and group summaries drawn at screen size when the graph
 * is zoomed out too far for task labels.
 */
import type { ZoomTransform } from "d3-zoom";
import { memo, useMemo, useRef } from "react";
import { TID } from "../../testids";
import type { LayoutResult } from "./graphLayout";
import "./overview.css";

export const MINIMAP_MIN_TASKS = 100;

/** Tasks in the drawing, those hidden in collapsed groups included. */
export function taskTotal(layout: LayoutResult): number {
  return layout.nodes.reduce((sum, node) => sum + (node.type === "group" ? (node.taskCount ?? 0) : 1), 0);
}
const MINIMAP_WIDTH = 180;
const MINIMAP_MAX_HEIGHT = 140;
const MINIMAP_MIN_HEIGHT = 36;

interface Size {
  width: number;
  height: number;
}

/** One path for all nodes keeps a 2,000-node minimap one element. */
const MinimapNodes = memo(function MinimapNodes({ layout }: { layout: LayoutResult }) {
  const d = useMemo(
    () => layout.nodes.map((n) => `M${n.x - n.width / 2},${n.y - n.height / 2}h${n.width}v${n.height}h${-n.width}z`).join(""),
    [layout],
  );
  return <path d={d} className="minimap-nodes" />;
});

export function Minimap({
  layout,
  transform,
  viewport,
  onCenter,
}: {
  layout: LayoutResult;
  transform: ZoomTransform;
  viewport: Size;
  /** Move the main view so this layout point is in its middle. */
  onCenter: (x: number, y: number) => void;
}) {
  const svg = useRef<SVGSVGElement>(null);
  // Same scale both ways, except that a long thin graph is stretched to a usable height.
  const scale = Math.min(MINIMAP_WIDTH / Math.max(1, layout.width), MINIMAP_MAX_HEIGHT / Math.max(1, layout.height));
  const scaleY = Math.max(scale, MINIMAP_MIN_HEIGHT / Math.max(1, layout.height));
  const width = layout.width * scale;
  const height = layout.height * scaleY;
  // The visible window in layout coordinates.
  const [x0, y0] = transform.invert([0, 0]);
  const [x1, y1] = transform.invert([viewport.width, viewport.height]);
  const move = (event: React.PointerEvent<SVGSVGElement>) => {
    const box = svg.current?.getBoundingClientRect();
    if (!box) return;
    onCenter((event.clientX - box.left) / scale, (event.clientY - box.top) / scaleY);
  };
  return (
    <svg
      ref={svg}
      className="minimap"
      width={width}
      height={height}
      role="img"
      aria-label="Minimap: click or drag to move the view"
      data-testid={TID.graphMinimap}
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture(event.pointerId);
        move(event);
      }}
      onPointerMove={(event) => event.buttons === 1 && move(event)}
    >
      <g transform={`scale(${scale},${scaleY})`}>
        <MinimapNodes layout={layout} />
        <rect className="minimap-window" x={x0} y={y0} width={x1 - x0} height={y1 - y0} vectorEffect="non-scaling-stroke" />
      </g>
    </svg>
  );
}

/** Group names at a constant screen size while task labels are too small to read. */
export const GroupSummaries = memo(function GroupSummaries({ layout, transform }: { layout: LayoutResult; transform: ZoomTransform }) {
  const groups = [
    ...layout.clusters.map((c) => ({ key: c.key, label: c.label, x: c.x, y: c.y - c.height / 2, count: null as number | null })),
    ...layout.nodes
      .filter((n) => n.type === "group")
      .map((n) => ({ key: n.key, label: n.label, x: n.x, y: n.y, count: n.taskCount ?? null })),
  ];
  return (
    <g className="group-summaries" aria-hidden data-testid={TID.graphGroupSummaries}>
      {groups.map((group) => {
        const [x, y] = transform.apply([group.x, group.y]);
        return (
          <text key={group.key} x={x} y={y} textAnchor="middle">
            {group.label}
            {group.count !== null ? ` · ${group.count}` : ""}
          </text>
        );
      })}
    </g>
  );
});
