// The session tags Roles Anywhere derives from the certificate, shown as the condition keys a trust
// policy uses, so `aws:PrincipalTag/x509Subject/OU` can be checked against the policy by eye.

export function PrincipalTags({ tags }: { tags: Readonly<Record<string, string>> }) {
  const entries = Object.entries(tags);
  if (entries.length === 0) {
    return <p className="muted">This certificate gives the session no principal tags.</p>;
  }
  return (
    <table className="tags-table">
      <caption>Principal tags the session will carry</caption>
      <thead>
        <tr>
          <th scope="col">Condition key</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key}>
            <td className="mono">
              <span className="tag-prefix">aws:PrincipalTag/</span>
              {key}
            </td>
            <td className="mono">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
