import { POOLS } from "../../api/managed";
import type { Pool, PoolCollection } from "../../api/types";
import { ManagedPage } from "../Managed/ManagedPage";

/** Slot pools with their occupancy: how many slots running and queued tasks hold, how many are open. */
export function Pools() {
  return (
    <ManagedPage<PoolCollection, Pool>
      title="Pools"
      intro={
        <>
          A task takes <code>pool_slots</code> slots of its <code>pool</code> (default_pool unless it names one) while queued or running;
          the scheduler queues it only when they are open.
        </>
      }
      resource={POOLS}
      idOf={(pool) => pool.name}
      canDelete={(pool) => pool.name !== "default_pool"}
      emptyText="No pools."
      columns={[
        { header: "Pool", cell: (p) => <code>{p.name}</code> },
        { header: "Slots", cell: (p) => <span data-slots="total">{p.slots}</span> },
        { header: "Running", cell: (p) => <span data-slots="running">{p.running_slots}</span> },
        { header: "Queued", cell: (p) => <span data-slots="queued">{p.queued_slots}</span> },
        { header: "Scheduled", cell: (p) => <span data-slots="scheduled">{p.scheduled_slots}</span> },
        { header: "Open", cell: (p) => <OpenSlots pool={p} /> },
        { header: "Description", cell: (p) => p.description ?? "" },
      ]}
      fields={[
        { name: "name", label: "Name", kind: "text", required: true, help: 'Tasks name it with pool="…".' },
        { name: "slots", label: "Slots", kind: "number", required: true },
        { name: "description", label: "Description", kind: "textarea" },
      ]}
    />
  );
}

function OpenSlots({ pool }: { pool: Pool }) {
  const used = pool.slots ? Math.min(1, pool.occupied_slots / pool.slots) : 1;
  return (
    <span className="pool-open" title={`${pool.occupied_slots} of ${pool.slots} slots taken`}>
      <span data-slots="open">{pool.open_slots}</span>
      <span className="pool-bar" aria-hidden>
        <span style={{ width: `${Math.round(used * 100)}%` }} />
      </span>
    </span>
  );
}
