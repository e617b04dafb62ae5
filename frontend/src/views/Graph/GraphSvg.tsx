import { select } from "d3-selection";
import { curveBasis, line } from "d3-shape";
import { type ZoomBehavior, type ZoomTransform, zoom, zoomIdentity } from "d3-zoom";
import { memo, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { roleMark } from "../../lib/roles";
import { TID } from "../../testids";
import { type StateName, stateStyle } from "../../theme/states";
import { GroupSummaries, MINIMAP_MIN_TASKS, Minimap, taskTotal } from "./GraphOverview";
import type { LayoutResult } from "./graphLayout";
import { LABEL_HEIGHT, labelWidth } from "./layoutInput";

/** Below this zoom, labels are unreadable anyway; skipping them keeps 2,000 nodes cheap. */
const LABEL_MIN_SCALE = 0.45;
const MIN_SCALE = 0.02;
const MAX_SCALE = 3;
/** Fitting a huge DAG gives an unreadable strip; below this scale open at READABLE_SCALE instead. */
const MIN_FIT_SCALE = 0.3;
const READABLE_SCALE = 0.7;

const edgePath = line<[number, number]>().curve(curveBasis);

interface Props {
  layout: LayoutResult;
  states: Map<string, StateName>;
  /** Node key of a mapped task to its number of map indexes in the chosen run (its badge). */
  mappedCounts?: ReadonlyMap<string, number>;
  selected: string | null;
  onSelectTask: (taskId: string) => void;
  onToggleGroup: (groupId: string) => void;
  /** Optional overlay classes (a comparison): node key or "source>target" edge key to a mark. */
  marks?: ReadonlyMap<string, string>;
  /** A node key to zoom to and highlight (find a task, a change in the comparison list). */
  focus?: string | null;
}

const NO_MARKS: ReadonlyMap<string, string> = new Map();
const NO_COUNTS: ReadonlyMap<string, number> = new Map();
/** The scale a focused node is shown at, at least: its label must be readable. */
const FOCUS_SCALE = 1.1;

/**
 * React draws nodes and edges; d3-zoom only reports a transform, applied to one <g>. The layers
 * are memoised, so zooming or panning re-renders nothing but that transform.
 */
export function GraphSvg({
  layout,
  states,
  mappedCounts = NO_COUNTS,
  selected,
  onSelectTask,
  onToggleGroup,
  marks = NO_MARKS,
  focus = null,
}: Props) {
  const svg = useRef<SVGSVGElement>(null);
  const behavior = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  const fitted = useRef<string | null>(null);

  useEffect(() => {
    const element = svg.current;
    if (!element) return;
    const zoomer = zoom<SVGSVGElement, unknown>()
      .scaleExtent([MIN_SCALE, MAX_SCALE])
      .on("zoom", (event: { transform: ZoomTransform }) => setTransform(event.transform));
    behavior.current = zoomer;
    select(element).call(zoomer).on("dblclick.zoom", null);
    return () => {
      select(element).on(".zoom", null);
    };
  }, []);

  const fitView = useCallback(
    (readable: boolean) => {
      const element = svg.current;
      if (!element || !behavior.current) return;
      const { clientWidth: w, clientHeight: h } = element;
      const scale = Math.min(MAX_SCALE, 1.2, (w - 32) / Math.max(1, layout.width), (h - 32) / Math.max(1, layout.height));
      let next: ZoomTransform;
      if (readable && scale < MIN_FIT_SCALE) {
        // Show the start of the DAG legibly; "Fit" shows the whole thing on demand.
        next = zoomIdentity.translate(16, 16).scale(READABLE_SCALE);
      } else {
        next = zoomIdentity.translate((w - layout.width * scale) / 2, (h - layout.height * scale) / 2).scale(scale);
      }
      select(element).call(behavior.current.transform, next);
    },
    [layout.width, layout.height],
  );

  // Fit on the first layout and when the drawing's bounds change a lot (direction switch).
  useEffect(() => {
    const shape = `${Math.round(layout.width / 200)}x${Math.round(layout.height / 200)}`;
    if (fitted.current === null || (fitted.current !== shape && !sameAspect(fitted.current, shape))) fitView(true);
    fitted.current = shape;
  }, [layout, fitView]);

  // Zoom to the focused node once it is laid out (it may be in a group opened for it just now).
  const focusNode = focus ? layout.nodes.find((node) => node.key === focus) : undefined;
  useEffect(() => {
    const element = svg.current;
    if (!element || !behavior.current || !focusNode) return;
    const { clientWidth: w, clientHeight: h } = element;
    const next = zoomIdentity.translate(w / 2 - focusNode.x * FOCUS_SCALE, h / 2 - focusNode.y * FOCUS_SCALE).scale(FOCUS_SCALE);
    select(element).call(behavior.current.transform, next);
  }, [focusNode]);

  const [viewport, setViewport] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const element = svg.current;
    if (!element) return;
    const measure = () => setViewport({ width: element.clientWidth, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const centerOn = useCallback((x: number, y: number) => {
    const element = svg.current;
    if (element && behavior.current) select(element).call(behavior.current.translateTo, x, y);
  }, []);

  const zoomBy = (factor: number) => svg.current && behavior.current && select(svg.current).call(behavior.current.scaleBy, factor);
  const showLabels = transform.k >= LABEL_MIN_SCALE;

  const onClick = useCallback(
    (event: React.MouseEvent) => {
      const target = (event.target as Element).closest("[data-key]");
      const key = target?.getAttribute("data-key");
      if (!key) return;
      if (key.startsWith("g:")) onToggleGroup(key.slice(2));
      else onSelectTask(key.slice(2));
    },
    [onSelectTask, onToggleGroup],
  );

  return (
    <div className="graph-canvas">
      <div className="zoom-controls">
        <button type="button" className="icon-button" onClick={() => zoomBy(1.3)} title="Zoom in" aria-label="Zoom in">
          +
        </button>
        <button type="button" className="icon-button" onClick={() => zoomBy(1 / 1.3)} title="Zoom out" aria-label="Zoom out">
          −
        </button>
        <button
          type="button"
          className="button small"
          onClick={() => fitView(false)}
          title="Fit the whole graph on screen"
          data-testid={TID.graphFit}
        >
          Fit
        </button>
      </div>
      <svg ref={svg} className="graph-svg" role="img" aria-label="DAG graph" data-testid={TID.graphSvg}>
        {/* biome-ignore lint/a11y/noStaticElementInteractions: one delegated handler for every node; the grid is the keyboard path to task instances */}
        <g transform={transform.toString()} onClick={onClick}>
          <Clusters layout={layout} />
          <Edges layout={layout} marks={marks} />
          <Nodes
            layout={layout}
            states={states}
            mappedCounts={mappedCounts}
            selected={selected}
            showLabels={showLabels}
            marks={marks}
            focus={focus}
          />
        </g>
        {!showLabels && <GroupSummaries layout={layout} transform={transform} />}
      </svg>
      {taskTotal(layout) > MINIMAP_MIN_TASKS && viewport.width > 0 && (
        <Minimap layout={layout} transform={transform} viewport={viewport} onCenter={centerOn} />
      )}
    </div>
  );
}

function sameAspect(a: string, b: string) {
  const [aw, ah] = a.split("x").map(Number);
  const [bw, bh] = b.split("x").map(Number);
  return Math.abs(aw - bw) <= 2 && Math.abs(ah - bh) <= 2;
}

const Clusters = memo(function Clusters({ layout }: { layout: LayoutResult }) {
  return (
    <g className="clusters">
      {layout.clusters.map((cluster) => (
        <g
          key={cluster.key}
          data-testid={TID.graphCluster}
          data-group-id={cluster.id}
          transform={`translate(${cluster.x - cluster.width / 2},${cluster.y - cluster.height / 2})`}
        >
          <rect className="cluster" width={cluster.width} height={cluster.height} rx={8} />
          <g data-key={cluster.key} className="cluster-label">
            <title>Collapse group {cluster.id}</title>
            <text x={10} y={18}>
              ▾ {cluster.label}
            </text>
          </g>
        </g>
      ))}
    </g>
  );
});

/** An edge end as the e2e suite names it: a task id, or "group:<id>" for a collapsed group. */
function endName(key: string) {
  return key.startsWith("g:") ? `group:${key.slice(2)}` : key.slice(2);
}

/** Where an edge's label goes: the middle of its drawn points. */
function midpoint(points: [number, number][]): [number, number] {
  if (!points.length) return [0, 0];
  const a = points[Math.floor((points.length - 1) / 2)];
  const b = points[Math.ceil((points.length - 1) / 2)];
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}

const Edges = memo(function Edges({ layout, marks }: { layout: LayoutResult; marks: ReadonlyMap<string, string> }) {
  const paths = useMemo(
    () =>
      layout.edges.map((edge) => ({
        key: `${edge.source}>${edge.target}`,
        name: `${endName(edge.source)}->${endName(edge.target)}`,
        d: edgePath(edge.points) ?? "",
        mark: marks.get(`${edge.source}>${edge.target}`),
        dashed: edge.dashed ?? false,
        label: edge.label,
        at: edge.labelAt ?? midpoint(edge.points),
      })),
    [layout, marks],
  );
  return (
    <g className="edges">
      {paths.map((path) => (
        <path
          key={path.key}
          d={path.d}
          className={
            [path.dashed ? "edge-setup-teardown" : "", path.mark ? `diff-${path.mark}` : ""].filter(Boolean).join(" ") || undefined
          }
          data-testid={TID.graphEdge}
          data-edge={path.name}
          data-diff={path.mark}
        />
      ))}
      {paths
        .filter((path) => path.label)
        .map((path) => (
          <g key={`label:${path.key}`} className="edge-label" transform={`translate(${path.at[0]},${path.at[1]})`}>
            <rect
              x={-labelWidth(path.label ?? "") / 2}
              y={-LABEL_HEIGHT / 2 - 1}
              width={labelWidth(path.label ?? "")}
              height={LABEL_HEIGHT}
              rx={4}
            />
            <text textAnchor="middle" y={4} data-testid={TID.graphEdgeLabel} data-edge={path.name}>
              {path.label}
            </text>
          </g>
        ))}
    </g>
  );
});

const Nodes = memo(function Nodes({
  layout,
  states,
  mappedCounts,
  selected,
  showLabels,
  marks,
  focus,
}: {
  layout: LayoutResult;
  states: Map<string, StateName>;
  mappedCounts: ReadonlyMap<string, number>;
  selected: string | null;
  showLabels: boolean;
  marks: ReadonlyMap<string, string>;
  focus: string | null;
}) {
  return (
    <g className="nodes">
      {layout.nodes.map((node) => {
        const state = states.get(node.key) ?? null;
        const mapped = mappedCounts.get(node.key);
        const style = stateStyle(state);
        const isGroup = node.type === "group";
        const mark = marks.get(node.key);
        const classes = [
          "node",
          isGroup ? "node-group" : "",
          node.role ? `node-${node.role}` : "",
          node.key === selected ? "selected" : "",
          mark ? `diff-${mark}` : "",
          node.key === focus ? "focused" : "",
        ].join(" ");
        return (
          <g
            key={node.key}
            data-key={node.key}
            data-testid={isGroup ? TID.graphGroup : TID.graphNode}
            {...(isGroup ? { "data-group-id": node.id } : { "data-task-id": node.id })}
            data-state={state ?? ""}
            data-diff={mark}
            data-role={node.role ?? ""}
            className={classes}
            transform={`translate(${node.x - node.width / 2},${node.y - node.height / 2})`}
          >
            <title>
              {isGroup
                ? `Group ${node.id} (${node.taskCount} tasks): ${style.label}. Click to expand.`
                : `${node.id}${node.role ? ` (${node.role} task)` : ""}: ${style.label}${mapped === undefined ? "" : ` · ${mapped.toLocaleString("en-US")} map indexes`}`}
            </title>
            <rect
              className="node-box"
              width={node.width}
              height={node.height}
              rx={isGroup ? 8 : 5}
              style={{ stroke: state ? style.color : undefined }}
            />
            <rect className="node-state" width={6} height={node.height} rx={2} style={{ fill: style.color }} />
            {showLabels && (
              <text x={14} y={node.height / 2 + 4}>
                {isGroup
                  ? `▸ ${node.label} (${node.taskCount})`
                  : roleMark(node.role) + (node.label.length > 30 ? `${node.label.slice(0, 29)}…` : node.label)}
                {mapped !== undefined && (
                  <tspan className="mapped-badge" data-testid={TID.mappedBadge} dx={6}>
                    [{mapped.toLocaleString("en-US")}]
                  </tspan>
                )}
              </text>
            )}
          </g>
        );
      })}
    </g>
  );
});
