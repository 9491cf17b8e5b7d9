export default function Login() {
  return (
    <main>
      <h1>QWEB</h1>
      <p>Sign in</p>
    </main>
  );
}
