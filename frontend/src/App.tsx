import { lazy, Suspense } from "react";
import { Link, Navigate, NavLink, Route, Routes, useLocation } from "react-router";
import { useMe } from "./api/auth";
import { useLive } from "./api/live";
import { EmptyState } from "./components/EmptyState";
import { Skeleton } from "./components/Skeleton";
import { UserMenu } from "./components/UserMenu";
import { AuditLog } from "./views/AuditLog/AuditLog";
import { Connections } from "./views/Connections/Connections";
import { DagPage } from "./views/Dag/DagPage";
import { DagList } from "./views/DagList/DagList";
import { ImportErrors } from "./views/ImportErrors/ImportErrors";
import { Login } from "./views/Login/Login";
import { Pools } from "./views/Pools/Pools";
import { Tokens } from "./views/Tokens/Tokens";
import { Variables } from "./views/Variables/Variables";
import { Workers } from "./views/Workers/Workers";

const Home = lazy(() => import("./views/Home/Home"));
// The assets views (and their lineage graph) load when first opened, like Home.
const Assets = lazy(() => import("./views/Assets/Assets").then((m) => ({ default: m.Assets })));
const AssetDetail = lazy(() => import("./views/Assets/AssetDetail").then((m) => ({ default: m.AssetDetail })));

export function App() {
  if (useLocation().pathname === "/login") return <Login />;
  return (
    <div className="app">
      <Header />
      <main className="main">
        <Suspense fallback={<Skeleton rows={8} />}>
          <Routes>
            <Route path="/" element={<DagList />} />
            <Route path="/home" element={<Home />} />
            <Route path="/import-errors" element={<ImportErrors />} />
            <Route path="/workers" element={<Workers />} />
            <Route path="/tokens" element={<Tokens />} />
            <Route path="/audit-log" element={<AuditLog />} />
            <Route path="/variables" element={<Variables />} />
            <Route path="/connections" element={<Connections />} />
            <Route path="/pools" element={<Pools />} />
            <Route path="/assets" element={<Assets />} />
            <Route path="/assets/:assetId" element={<AssetDetail />} />
            <Route path="/dags/:dagId" element={<Navigate to="grid" replace />} />
            <Route path="/dags/:dagId/:tab" element={<DagPage />} />
            <Route
              path="*"
              element={
                <EmptyState title="This page does not exist.">
                  <Link to="/">Back to the DAG list</Link>
                </EmptyState>
              }
            />
          </Routes>
        </Suspense>
      </main>
    </div>
  );
}

function Header() {
  const live = useLive();
  const me = useMe().data;
  return (
    <header className="header">
      <Link to="/" className="brand" aria-label="dagkeeper home">
        <svg width="22" height="22" viewBox="0 0 16 16" aria-hidden>
          <path d="M4 8 L12 4 M4 8 L12 12" stroke="currentColor" strokeWidth="1.2" />
          <circle cx="4" cy="8" r="2.6" fill="#0072B2" />
          <circle cx="12" cy="4" r="2.6" fill="#009E73" />
          <circle cx="12" cy="12" r="2.6" fill="#E69F00" />
        </svg>
        <span className="brand-name">dagkeeper</span>
      </Link>
      <nav className="nav">
        <NavLink to="/home">Home</NavLink>
        <NavLink to="/" end>
          DAGs
        </NavLink>
        <NavLink to="/assets" className="wide-only">
          Assets
        </NavLink>
        <NavLink to="/import-errors">Import errors</NavLink>
        <NavLink to="/workers" className="wide-only">
          Workers
        </NavLink>
        {me?.role === "admin" && (
          <NavLink to="/audit-log" className="wide-only">
            Audit log
          </NavLink>
        )}
        {(me?.role === "op" || me?.role === "admin") && (
          <>
            <NavLink to="/variables" className="wide-only">
              Variables
            </NavLink>
            <NavLink to="/connections" className="wide-only">
              Connections
            </NavLink>
          </>
        )}
        <NavLink to="/pools" className="wide-only">
          Pools
        </NavLink>
      </nav>
      <div className="header-right">
        {!live.connected && live.enabled && (
          <span className="offline" role="status">
            server unreachable, retrying…
          </span>
        )}
        <label className="live-toggle" title="Refresh views within a second of any change">
          <input type="checkbox" checked={live.enabled} onChange={(event) => live.setEnabled(event.target.checked)} />
          <span className={live.enabled ? "live-dot on" : "live-dot"} aria-hidden />
          Live
        </label>
        <UserMenu />
      </div>
    </header>
  );
}
