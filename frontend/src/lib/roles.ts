/** The mark a setup (↗) or teardown (↘) task carries before its label, in graph and grid alike. */
export function roleMark(role: string | null | undefined) {
  return role === "setup" ? "↗ " : role === "teardown" ? "↘ " : "";
}
