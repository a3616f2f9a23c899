import type { InputHTMLAttributes, ReactNode } from "react";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  id: string;
  label: string;
  hint?: string;
  /** Already translated (text, or an element that renders it); announced by screen readers with the field. */
  error?: ReactNode;
}

/** A labelled input whose hint and error are tied to it with aria-describedby. */
export function Field({ id, label, hint, error, className = "", ...input }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-gray-900">
        {label}
      </label>
      <input
        id={id}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        className={`block min-h-11 w-full rounded-md border px-3 py-2 text-base text-gray-900 ${
          error ? "border-red-600" : "border-gray-300"
        } ${className}`}
        {...input}
      />
      {hint ? (
        <p id={hintId} className="text-sm text-gray-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        // Shown after a submit: announced at once, and tied to the field.
        <p id={errorId} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
