import type { InputHTMLAttributes } from "react";
import { DAY_PATTERN, DAY_PLACEHOLDER, showDay } from "../lib/day-field";

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "defaultValue" | "value"> & {
  name: string;
  // an ISO day (shown as dd/mm/yyyy), or the text typed before (shown as it is)
  value?: string;
};

// A day field in dd/mm/yyyy whatever the browser's locale (lib/day-field.ts says why not <input type="date">)
export function DayInput({ value, ...rest }: Props) {
  return (
    <input
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder={DAY_PLACEHOLDER}
      pattern={DAY_PATTERN}
      title="A day as dd/mm/yyyy, e.g. 31/12/2026"
      defaultValue={showDay(value ?? "")}
      {...rest}
    />
  );
}
