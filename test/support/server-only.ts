// Stands in for the `server-only` marker package when the web app's server modules run under Vitest
// (the marker throws outside a React Server Components bundle; it only guards against client imports).
export {};
