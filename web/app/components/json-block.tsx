type JsonBlockProps = { title: string; value: unknown; testId?: string };

// Broker request/response and event payloads as indented JSON. The API has already redacted secrets.
export function JsonBlock({ title, value, testId }: JsonBlockProps) {
  return (
    <section className="json-block">
      <h3>{title}</h3>
      {value === null || value === undefined ? (
        <p className="empty">Nothing recorded.</p>
      ) : (
        <pre className="code-block" data-testid={testId}>
          {JSON.stringify(value, null, 2)}
        </pre>
      )}
    </section>
  );
}
