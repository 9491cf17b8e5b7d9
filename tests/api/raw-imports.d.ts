// Vite's `?raw` suffix: the file's text, bundled into the workerd test (there is no filesystem there).
declare module "*?raw" {
  const text: string;
  export default text;
}
