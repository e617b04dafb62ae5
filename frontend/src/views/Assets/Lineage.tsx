import { useCallback, useMemo } from "react";
import { useNavigate } from "react-router";
import { type AssetLineage, useAssetLineage } from "../../api/assets";
import { EmptyState } from "../../components/EmptyState";
import { QueryView } from "../../components/QueryView";
import { Skeleton } from "../../components/Skeleton";
import { TID } from "../../testids";
import type { StateName } from "../../theme/states";
import { GraphSvg } from "../Graph/GraphSvg";
import { useLayout } from "../Graph/useLayout";
import { lineageKey, lineageLayoutInput } from "./lineageLayout";
import { dagLink } from "./links";

const NO_STATES = new Map<string, StateName>();

/** Every DAG, asset and alias linked across DAGs: a click on a DAG opens it, on an asset its events. */
export function Lineage() {
  const lineage = useAssetLineage();
  return (
    <section data-testid={TID.assetLineage}>
      <h2 className="section-title">Lineage</h2>
      <QueryView query={lineage}>
        {(data) =>
          data.nodes.length === 0 ? <EmptyState title="No DAG produces or schedules on an asset yet." /> : <LineageGraph lineage={data} />
        }
      </QueryView>
    </section>
  );
}

function LineageGraph({ lineage }: { lineage: AssetLineage }) {
  const navigate = useNavigate();
  const key = useMemo(() => lineageKey(lineage), [lineage]);
  const layout = useLayout(key, () => lineageLayoutInput(lineage));
  const open = useCallback(
    (id: string) => {
      if (id.startsWith("dag:")) navigate(dagLink(id.slice(4)));
      else if (id.startsWith("asset:")) navigate(`/assets/${id.slice(6)}`);
    },
    [navigate],
  );
  if (!layout.layout) return <Skeleton rows={6} />;
  return <GraphSvg layout={layout.layout} states={NO_STATES} selected={null} onSelectTask={open} onToggleGroup={() => {}} />;
}
