/** A horizontal rule with a word in the middle ("or"), read as that word alone. */
export function Divider({ label }: { label: string }) {
  return (
    <p className="flex items-center gap-3 text-sm text-gray-600">
      <span aria-hidden="true" className="h-px flex-1 bg-gray-200" />
      {label}
      <span aria-hidden="true" className="h-px flex-1 bg-gray-200" />
    </p>
  );
}
