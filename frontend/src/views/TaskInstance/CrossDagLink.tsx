import { Link } from "react-router";
import { useXComs } from "../../api/hooks";
import type { TaskInstanceDetail } from "../../api/types";
import { TID } from "../../testids";
import { type CrossDagTarget, crossDagHref, crossDagTarget } from "./crossDag";

/** A link to the other DAG's run (or DAG) for TriggerDagRunOperator, ExternalTaskSensor and ExternalTaskMarker. */
export function CrossDagLink({ dagId, ti }: { dagId: string; ti: TaskInstanceDetail }) {
  if (ti.operator === "TriggerDagRunOperator" && ti.try_number > 0) return <TriggeredRunLink dagId={dagId} ti={ti} />;
  return <TargetLink target={crossDagTarget(ti.operator, ti.rendered_fields, [])} />;
}

/** The run a trigger queued is its XCom `trigger_run_id` (the same query as the drawer's XCom section). */
function TriggeredRunLink({ dagId, ti }: { dagId: string; ti: TaskInstanceDetail }) {
  const xcoms = useXComs(dagId, ti.run_id, ti.task_id);
  return <TargetLink target={crossDagTarget(ti.operator, ti.rendered_fields, xcoms.data?.xcom_entries ?? [])} />;
}

function TargetLink({ target }: { target: CrossDagTarget | null }) {
  if (!target) return null;
  return (
    <p className="small">
      <Link to={crossDagHref(target)} data-testid={TID.crossDagLink}>
        {target.label} →
      </Link>
    </p>
  );
}
