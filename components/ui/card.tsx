import type { ReactNode } from "react";

export function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="mx-auto w-full max-w-md space-y-4 rounded-lg bg-white p-6 shadow-sm ring-1 ring-gray-200">
      <h1 className="text-2xl font-semibold text-gray-900">{title}</h1>
      {children}
    </section>
  );
}
