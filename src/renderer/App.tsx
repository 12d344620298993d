export function App() {
  return (
    <main>
      <h1>Rolecall</h1>
      <p>No profiles yet.</p>
    </main>
  );
}
