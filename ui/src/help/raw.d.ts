/** Vite's `?raw` imports: the file's text, bundled into the build. */
declare module "*.md?raw" {
  const text: string;
  export default text;
}
