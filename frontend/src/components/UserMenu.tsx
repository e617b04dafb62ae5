import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { useLogout, useMe } from "../api/auth";
import { TID } from "../testids";

/** Who am I (name, role, teams), my API tokens, the audit log for admins, and log out. */
export function UserMenu() {
  const me = useMe().data;
  const logout = useLogout();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  if (!me || me.via === "open") return null; // authentication is off: nobody to be
  const close = () => setOpen(false);
  return (
    <div className="user-menu">
      <button
        type="button"
        className="button"
        aria-expanded={open}
        title={`Account: ${me.username} (${me.role})`}
        onClick={() => setOpen(!open)}
        data-testid={TID.userMenu}
      >
        <span className="avatar" aria-hidden>
          {me.username.slice(0, 1).toUpperCase()}
        </span>
        <span className="who">
          {me.username} <span className="muted small">{me.role}</span>
        </span>
      </button>
      {open && (
        <div className="menu card" role="menu">
          <div className="muted small">
            Signed in as <strong>{me.username}</strong> ({me.role}
            {me.teams.length > 0 && `; teams ${me.teams.join(", ")}`})
          </div>
          <Link to="/tokens" role="menuitem" onClick={close} data-testid={TID.tokensLink}>
            API tokens
          </Link>
          {me.role === "admin" && (
            <Link to="/audit-log" role="menuitem" onClick={close} data-testid={TID.auditLogLink}>
              Audit log
            </Link>
          )}
          <button
            type="button"
            role="menuitem"
            className="button"
            onClick={() => logout.mutate(undefined, { onSuccess: () => navigate("/login", { replace: true }) })}
            data-testid={TID.logoutButton}
          >
            Log out
          </button>
        </div>
      )}
    </div>
  );
}
