/** Style sheets are bundled as text (webpack `asset/source`) and added to the page by `main.ts`. */
declare module '*.css' {
  const css: string
  export default css
}
