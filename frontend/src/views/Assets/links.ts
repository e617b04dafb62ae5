/** Where the asset views link a DAG to: its grid. */
export const dagLink = (dagId: string) => `/dags/${encodeURIComponent(dagId)}/grid`;
