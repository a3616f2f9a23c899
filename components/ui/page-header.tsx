/** A page's one h1 and the sentence under it, alike on every signed-in page. */
export function PageHeader({ title, intro }: { title: string; intro: string }) {
  return (
    <header className="space-y-2">
      <h1 className="text-2xl font-semibold text-gray-900">{title}</h1>
      <p className="text-gray-700">{intro}</p>
    </header>
  );
}
