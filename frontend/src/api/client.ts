/** A thin fetch client: JSON in, JSON out, and every non-2xx turned into a typed ApiError. */
import type { Problem } from "./types";

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = "ApiError";
    this.status = problem.status;
    this.problem = problem;
  }

  /** Field errors of a 400, e.g. {"conf.count": ["must be at most 10"]}. */
  get fieldErrors(): Record<string, string[]> {
    return this.problem.errors ?? {};
  }
}

export type QueryValue = string | number | boolean | null | undefined | readonly string[];

/** Build "?a=1&tags=x&tags=y", skipping empty values so URLs stay short and cache keys stable. */
export function queryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) {
      for (const item of value) search.append(key, item);
    } else {
      search.append(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

async function problemOf(response: Response): Promise<Problem> {
  const fallback: Problem = { title: response.statusText || "Request failed", status: response.status };
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("json")) {
    return { ...fallback, detail: `${response.status} from ${new URL(response.url, location.href).pathname}` };
  }
  try {
    const body = (await response.json()) as Partial<Problem>;
    return { ...fallback, ...body, title: body.title ?? fallback.title, status: body.status ?? response.status };
  } catch {
    return fallback;
  }
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  body?: unknown;
  signal?: AbortSignal;
  /** Return null instead of throwing on 304 (used by the change-token poll). */
  allowNotModified?: boolean;
}

/** Send the browser to the login page, to come back to where it was once logged in. */
export function goToLogin(): void {
  if (location.pathname === "/login") return;
  location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = "GET", body, signal, allowNotModified } = options;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal,
      headers: body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: allowNotModified ? "no-store" : "default",
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError({ title: "Server unreachable", status: 0, detail: "The dagkeeper web server did not answer. Is it running?" });
  }
  if (response.status === 304 && allowNotModified) return null as T;
  // A missing or ended session (logout elsewhere, expiry, role change): log in and come back.
  if (response.status === 401 && path !== "/auth/login") goToLogin();
  if (!response.ok) throw new ApiError(await problemOf(response));
  if (response.status === 204) return null as T;
  return (await response.json()) as T;
}
