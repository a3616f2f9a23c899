import type { ReactNode, SelectHTMLAttributes } from "react";

interface SelectFieldProps extends SelectHTMLAttributes<HTMLSelectElement> {
  id: string;
  /** Usually a string; a node when part of the label is only for screen readers. */
  label: ReactNode;
  /** The first, empty option ("Choose…"); choosing nothing sends "". */
  placeholder: string;
  options: readonly { value: string; label: string }[];
  hint?: string;
  /** Already translated; announced with the field. */
  error?: string;
}

/** A labelled native select (keyboard, type-ahead and mobile pickers for free), tied to its hint and error. */
export function SelectField({ id, label, placeholder, options, hint, error, className = "", ...select }: SelectFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-gray-900">
        {label}
      </label>
      <select
        id={id}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        className={`block min-h-11 w-full rounded-md border bg-white px-3 py-2 text-base text-gray-900 ${
          error ? "border-red-600" : "border-gray-300"
        } ${className}`}
        {...select}
      >
        <option value="">{placeholder}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {hint ? (
        <p id={hintId} className="text-sm text-gray-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
