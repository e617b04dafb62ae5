import { type FormEvent, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useLogin } from "../../api/auth";
import { ApiError } from "../../api/client";
import { TID } from "../../testids";

/** Only same-site paths: `next=https://elsewhere` must not turn the login into a redirector. */
export function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

/** The login page; after a successful login the browser goes back to where it was sent from. */
export function Login() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const login = useLogin();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ username, password }, { onSuccess: () => navigate(safeNext(params.get("next")), { replace: true }) });
  };
  const error = login.error instanceof ApiError ? login.error.problem.detail : login.error?.message;

  return (
    <div className="login-page">
      <form className="card login-card" onSubmit={submit} data-testid={TID.loginForm}>
        <h1>dagkeeper</h1>
        <label>
          Username
          <input
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            data-testid={TID.loginUsername}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            data-testid={TID.loginPassword}
          />
        </label>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={login.isPending} data-testid={TID.loginSubmit}>
          {login.isPending ? "Logging in…" : "Log in"}
        </button>
      </form>
    </div>
  );
}
