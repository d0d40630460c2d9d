export default function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <div className="empty">
        <p>
          There is no such model or benchmark (or it is private). Go back to the <a href="/">leaderboard</a>{' '}
          or browse the <a href="/benchmarks">benchmarks</a>.
        </p>
      </div>
    </section>
  );
}
