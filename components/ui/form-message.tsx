import type { ReactNode } from "react";

type Tone = "error" | "info" | "success";

const tones: Record<Tone, string> = {
  error: "border-red-300 bg-red-50 text-red-800",
  info: "border-blue-200 bg-blue-50 text-blue-900",
  success: "border-green-300 bg-green-50 text-green-900",
};

/** A message about the whole form; errors interrupt screen readers, others wait their turn. */
export function FormMessage({ tone, children }: { tone: Tone; children: ReactNode }) {
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded-md border p-3 text-sm ${tones[tone]}`}>
      {children}
    </div>
  );
}
