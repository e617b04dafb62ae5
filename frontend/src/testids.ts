/**
 * Stable hooks for the end-to-end suite (e2e/). The browser tests select elements by these
 * `data-testid` values and the data-* attributes listed next to them, never by CSS classes or
 * text that designers may change. Renaming one breaks e2e/: change both together.
 *
 * DAG list `/`
 *   dag-list               the result area once data arrived (table, or the empty state "No DAGs …")
 *   [data-dag-id=<id>]     one row per DAG (on the <tr>)
 *   dag-search             the search box (`/` focuses it)
 *   pause-toggle           the pause switch of a row or of the DAG page header (checked = active)
 *   tag-chip               a tag button in a row; tag-filter: an active tag filter chip
 *   import-errors-banner   the "N DAG files have import errors" link
 *   error-panel            any API problem shown in place of a view
 *   empty-state            any empty view; its text says what to do
 * DAG page `/dags/:dagId/<tab>`
 *   trigger-button         opens the trigger dialog (also one per DAG list row)
 *   trigger-submit         the dialog's submit; param fields are [data-param=<name>], their
 *                          messages field-error, their description_md param-doc
 * Grid
 *   grid-cell              [data-task-id][data-run-id][data-state]: one task instance; data-state is
 *                          the state name ("success", "none" = no status) or "" when the run has no
 *                          task instance of that task
 *   grid-group-cell        [data-group-id][data-run-id][data-state]: a group row's summary cell
 *   grid-row               [data-task-id] or [data-group-id]: a row (virtualised: only rows near the
 *                          viewport exist in the DOM)
 *   group-toggle           [data-group-id][aria-expanded]: expand / collapse a task group
 *   run-bar                [data-run-id]: a run's duration bar in the grid header
 *   grid-older / grid-newest   run paging
 * Graph
 *   graph-node             [data-task-id][data-state]: a task drawn as a node (every node of the
 *                          layout is in the DOM)
 *   graph-group            [data-group-id][data-state]: a collapsed group drawn as one node
 *   graph-cluster          [data-group-id]: an expanded group's box; its label collapses it
 *   graph-edge             [data-edge="<up>-><down>"]: an edge; a collapsed group end is "group:<id>"
 *   graph-svg              the drawing; graph-fit: the Fit button
 *   run-select             the run whose states colour the nodes; graph-version: "vN" drawn
 * Task instance drawer
 *   ti-drawer, run-drawer  the drawers (Escape closes them)
 *   clear-button           opens the dry-run preview (clear-preview lists what would be cleared)
 *   clear-confirm          clears for real
 *   mark-success-button / mark-failed-button
 *   rendered-fields, try-tab [data-try], log (the selected try's log text)
 * Accounts
 *   login-form, login-username, login-password, login-submit   the /login page
 *   user-menu (its button shows the username), logout-button, tokens-link, audit-log-link
 *   token-name, token-create, token-value (the new token, shown once), token-row
 *   [data-token-name], token-revoke; audit-row [data-event][data-outcome]
 * Other views
 *   code-source, code-version; doc-md (Details); version-row [data-version]; run-row [data-run-id];
 *   import-error (one per failing file)
 *   worker-row [data-hostname][data-state] (Workers page)
 * Comparison (graph `?compare=N`, versions `?from=N&to=M`)
 *   compare-select         the graph's "compare with version" select
 *   compare-panel          the list of changes beside the graph; compare-item [data-mark][data-kind]
 *                          [data-task-id] one change (click zooms to it); graph-node/graph-edge carry
 *                          data-diff="added|removed|changed|inner" while comparing
 *   structure-diff         the versions view's structure summary; code-diff [data-mode] the code diff,
 *                          its lines diff-line [data-diff="added|removed|context"]
 * Gantt (DAG tab `gantt`)
 *   gantt                  the chart; gantt-row [data-task-id|data-group-id][data-critical="true" on the
 *                          critical path]; gantt-bar [data-try][data-state]: one try's running time
 * Calendar (DAG tab `calendar`)
 *   calendar               the year; calendar-day [data-date][data-state="success|failed|mixed|running"]
 * Task drawer
 *   task-history           a task's duration and tries over runs (bars [data-run-id][data-state])
 * Find a task (graph and grid toolbars; `/` focuses it)
 *   find-task              the input; find-results its list (li[data-task-id][aria-selected]); the
 *                          graph marks the previewed/chosen node with class "focused", the grid its
 *                          row with class "found"; the chosen task is the URL's `focus` parameter
 * Log viewer (drawer): log (the scrolling region; only lines in view exist, .log-line[data-line=N]),
 *   log-search, log-matches ("i of n"), log-first-error, log-download (the whole log as a file)
 * Focus mode: focus-select on the graph toolbar (`around=<task>&levels=N` in the URL)
 * Big graphs
 *   graph-minimap          the minimap (graphs over 100 nodes); graph-group-summaries: group names
 *                          drawn at screen size while task labels are hidden (zoomed out)
 * Operations
 *   reparse-button         "Reparse" on the DAG page header and on each import error
 *   delete-dag-button      on the page of a DAG no file defines any more; delete-dag-confirm in its dialog
 * Home `/home`
 *   home-health            the components card; home-component [data-kind][data-healthy="true|false"]
 *   home-runs, home-tasks  counts by state (li[data-state]); home-import-errors; home-slowest,
 *                          home-failing: tables of DAGs (tr[data-dag-id])
 *   xcoms (the drawer's XCom section), xcom-entry [data-key]
 * Variables, connections, pools (`/variables`, `/connections`, `/pools`)
 *   managed-row [data-id]  one item; its cells [data-slots=running|queued|open|...] on pools
 *   managed-add, managed-edit, managed-delete, managed-confirm (delete), managed-save (form);
 *   form fields are [data-field=<name>], their messages field-error
 * Assets `/assets`, `/assets/:assetId`
 *   asset-row              [data-uri]: one asset in the list (producing and consuming DAGs, latest event)
 *   asset-search           the URI filter
 *   asset-event            [data-event-id]: one event on an asset's page
 *   asset-lineage          the lineage section; its graph-node [data-task-id] are "dag:<id>" and "asset:<id>"
 *   run-asset-events       the run drawer's "Triggered by" list of an asset-triggered run (li[data-event-id])
 * Backfills (DAG page button and tab `backfills`)
 *   backfill-button        opens the backfill dialog; backfill-from, backfill-to (datetime-local, UTC),
 *                          backfill-reprocess, backfill-max-active-runs its fields; backfill-submit
 *   backfill-preview       the dry run: li[data-logical-date][data-action="create|reprocess"] per run
 *   backfill-row           [data-backfill-id][data-status="running|paused|completed"] in the tab;
 *                          backfill-progress [data-done][data-total]; backfill-pause, backfill-unpause,
 *                          backfill-cancel its buttons; backfill-active: the header's note of a
 *                          backfill in progress ("Backfill 2/5 done"), a link to the tab
 */
export const TID = {
  dagList: "dag-list",
  dagSearch: "dag-search",
  pauseToggle: "pause-toggle",
  tagChip: "tag-chip",
  tagFilter: "tag-filter",
  importErrorsBanner: "import-errors-banner",
  errorPanel: "error-panel",
  emptyState: "empty-state",
  triggerButton: "trigger-button",
  triggerSubmit: "trigger-submit",
  fieldError: "field-error",
  paramDoc: "param-doc",
  gridCell: "grid-cell",
  gridGroupCell: "grid-group-cell",
  gridRow: "grid-row",
  groupToggle: "group-toggle",
  runBar: "run-bar",
  gridOlder: "grid-older",
  gridNewest: "grid-newest",
  graphNode: "graph-node",
  graphGroup: "graph-group",
  graphCluster: "graph-cluster",
  graphEdge: "graph-edge",
  graphEdgeLabel: "graph-edge-label",
  dagDisplayName: "dag-display-name",
  graphSvg: "graph-svg",
  graphFit: "graph-fit",
  runSelect: "run-select",
  graphVersion: "graph-version",
  tiDrawer: "ti-drawer",
  runDrawer: "run-drawer",
  clearButton: "clear-button",
  clearPreview: "clear-preview",
  clearConfirm: "clear-confirm",
  markSuccess: "mark-success-button",
  markFailed: "mark-failed-button",
  renderedFields: "rendered-fields",
  tryTab: "try-tab",
  log: "log",
  codeSource: "code-source",
  codeVersion: "code-version",
  docMd: "doc-md",
  versionRow: "version-row",
  versionRevision: "version-revision",
  runRow: "run-row",
  importError: "import-error",
  workerRow: "worker-row",
  compareSelect: "compare-select",
  comparePanel: "compare-panel",
  compareItem: "compare-item",
  structureDiff: "structure-diff",
  codeDiff: "code-diff",
  diffLine: "diff-line",
  homeHealth: "home-health",
  homeComponent: "home-component",
  homeRuns: "home-runs",
  homeTasks: "home-tasks",
  homeImportErrors: "home-import-errors",
  homeSlowest: "home-slowest",
  homeFailing: "home-failing",
  gantt: "gantt",
  ganttRow: "gantt-row",
  ganttBar: "gantt-bar",
  calendar: "calendar",
  calendarDay: "calendar-day",
  taskHistory: "task-history",
  findTask: "find-task",
  findResults: "find-results",
  reparseButton: "reparse-button",
  graphMinimap: "graph-minimap",
  focusSelect: "focus-select",
  logSearch: "log-search",
  logMatches: "log-matches",
  logFirstError: "log-first-error",
  logDownload: "log-download",
  graphGroupSummaries: "graph-group-summaries",
  deleteDagButton: "delete-dag-button",
  deleteDagConfirm: "delete-dag-confirm",
  loginForm: "login-form",
  loginUsername: "login-username",
  loginPassword: "login-password",
  loginSubmit: "login-submit",
  userMenu: "user-menu",
  logoutButton: "logout-button",
  tokensLink: "tokens-link",
  auditLogLink: "audit-log-link",
  tokenName: "token-name",
  tokenCreate: "token-create",
  tokenValue: "token-value",
  tokenRow: "token-row",
  tokenRevoke: "token-revoke",
  auditRow: "audit-row",
  xcoms: "xcoms",
  xcomEntry: "xcom-entry",
  managedRow: "managed-row",
  managedAdd: "managed-add",
  managedEdit: "managed-edit",
  managedDelete: "managed-delete",
  managedConfirm: "managed-confirm",
  managedSave: "managed-save",
  noteText: "note-text",
  noteSave: "note-save",
  noteShown: "note-shown",
  crossDagLink: "cross-dag-link",
  assetRow: "asset-row",
  assetSearch: "asset-search",
  assetEvent: "asset-event",
  assetLineage: "asset-lineage",
  runAssetEvents: "run-asset-events",
  backfillButton: "backfill-button",
  backfillFrom: "backfill-from",
  backfillTo: "backfill-to",
  backfillReprocess: "backfill-reprocess",
  backfillMaxActiveRuns: "backfill-max-active-runs",
  backfillSubmit: "backfill-submit",
  backfillPreview: "backfill-preview",
  backfillRow: "backfill-row",
  backfillProgress: "backfill-progress",
  backfillPause: "backfill-pause",
  backfillUnpause: "backfill-unpause",
  backfillCancel: "backfill-cancel",
  backfillActive: "backfill-active",
  mappedMark: "mapped-mark",
  mappedBadge: "mapped-badge",
  mappedList: "mapped-list",
  mappedRow: "mapped-row",
  mappedFilter: "mapped-filter",
  mappedCounts: "mapped-counts",
  mappedBack: "mapped-back",
} as const;
