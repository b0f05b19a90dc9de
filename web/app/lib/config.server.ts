// Where the dashboard finds the API. Read per call so tests and start scripts can set env late.
const DEFAULT_API_URL = "http://localhost:4000/graphql";

export function apiUrl(): string {
  return process.env.API_URL || DEFAULT_API_URL;
}

// graphql-ws endpoint: API_WS_URL, else the HTTP URL with ws(s):// (same path, same port).
export function apiWsUrl(): string {
  return process.env.API_WS_URL || apiUrl().replace(/^http/, "ws");
}

export function isProduction(): boolean {
  return process.env.NODE_ENV === "production";
}
