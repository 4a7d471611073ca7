// Modules wrangler bundles as text (wrangler.toml [[rules]] type = "Text"): their default export is the file's content.
declare module '*/dist/embed.js' {
  const text: string
  export default text
}
declare module '*/dist/console.js' {
  const text: string
  export default text
}
