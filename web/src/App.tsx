/** Placeholder: the shell (router, layout, pages) replaces this. */
export function App() {
  return <h1>Mailwright</h1>;
}
