import { type FormEvent, useState } from "react";
import { useCreateToken, useRevokeToken, useTokens } from "../../api/auth";
import { EmptyState } from "../../components/EmptyState";
import { ErrorPanel } from "../../components/ErrorPanel";
import { QueryView } from "../../components/QueryView";
import { formatDate, formatRelative } from "../../lib/format";
import { TID } from "../../testids";

/** The caller's personal API tokens: create one (its text is shown once), see when each was used, revoke. */
export function Tokens() {
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [name, setName] = useState("");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name }, { onSuccess: () => setName("") });
  };

  return (
    <div className="page">
      <h1 className="page-title">API tokens</h1>
      <p className="muted">
        Scripts send a token as <code>Authorization: Bearer &lt;token&gt;</code>. It acts with your role; revoking it takes effect at once.
      </p>
      <form className="actions" onSubmit={submit}>
        <input
          placeholder="What is it for? (e.g. ci)"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={100}
          data-testid={TID.tokenName}
        />
        <button type="submit" className="button primary" disabled={create.isPending} data-testid={TID.tokenCreate}>
          Create token
        </button>
      </form>
      {create.data && (
        <div className="card" role="status">
          Copy it now; it is not shown again: <code data-testid={TID.tokenValue}>{create.data.token}</code>
        </div>
      )}
      {create.error && <ErrorPanel error={create.error} />}
      <QueryView query={tokens}>
        {(data) =>
          data.tokens.length === 0 ? (
            <EmptyState title="No tokens yet.">Create one above for a script or CI job.</EmptyState>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Starts with</th>
                  <th>Created</th>
                  <th>Expires</th>
                  <th>Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {data.tokens.map((token) => (
                  <tr key={token.id} data-testid={TID.tokenRow} data-token-name={token.name}>
                    <td>{token.name}</td>
                    <td>
                      <code>{token.prefix}…</code>
                    </td>
                    <td title={formatDate(token.created_at)}>{formatRelative(token.created_at)}</td>
                    <td>{token.expires_at ? formatDate(token.expires_at) : "never"}</td>
                    <td>{token.last_used_at ? formatRelative(token.last_used_at) : "never"}</td>
                    <td>
                      <button type="button" className="button danger" onClick={() => revoke.mutate(token.id)} data-testid={TID.tokenRevoke}>
                        Revoke
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
    </div>
  );
}
