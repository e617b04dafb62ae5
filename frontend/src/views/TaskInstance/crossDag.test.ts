import { describe, expect, it } from "vitest";
import { crossDagHref, crossDagTarget } from "./crossDag";

describe("crossDagTarget", () => {
  it("links a TriggerDagRunOperator to the run it queued", () => {
    const target = crossDagTarget("TriggerDagRunOperator", { trigger_dag_id: "child" }, [
      { key: "trigger_run_id", value: "manual__2024-06-01T00:00:00+00:00" },
    ]);
    expect(target).toEqual({
      dagId: "child",
      runId: "manual__2024-06-01T00:00:00+00:00",
      label: "Triggered run manual__2024-06-01T00:00:00+00:00 of child",
    });
    expect(target && crossDagHref(target)).toBe("/dags/child/grid?run_id=manual__2024-06-01T00%3A00%3A00%2B00%3A00&panel=run");
  });

  it("links sensors and markers to the other DAG, and nothing else", () => {
    expect(crossDagTarget("ExternalTaskSensor", { external_dag_id: "up" }, [])?.label).toBe("Waits on up");
    expect(crossDagTarget("ExternalTaskMarker", { external_dag_id: "down" }, [])?.label).toBe("Clears with down");
    expect(crossDagTarget("TriggerDagRunOperator", { trigger_dag_id: "c" }, [])).toEqual({ dagId: "c", runId: null, label: "Triggers c" });
    expect(crossDagTarget("BashOperator", { bash_command: "x" }, [])).toBeNull();
    expect(crossDagTarget("ExternalTaskSensor", { external_dag_id: 3 }, [])).toBeNull();
    expect(crossDagTarget("ExternalTaskSensor", null, [])).toBeNull();
  });
});
