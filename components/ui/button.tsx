import type { ButtonHTMLAttributes } from "react";

type Variant = "primary" | "secondary" | "danger" | "link";

const variants: Record<Variant, string> = {
  primary: "bg-blue-700 text-white hover:bg-blue-800 disabled:bg-blue-400",
  secondary: "border border-gray-300 bg-white text-gray-900 hover:bg-gray-50 disabled:text-gray-400",
  danger: "bg-red-700 text-white hover:bg-red-800 disabled:bg-red-400",
  link: "text-blue-700 underline underline-offset-4 hover:text-blue-900 px-0",
};

export function Button({
  variant = "primary",
  className = "",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  const base = variant === "link" ? "" : "min-h-11 w-full rounded-md px-4 py-2 text-base font-medium";
  return <button className={`${base} ${variants[variant]} ${className}`} {...props} />;
}
