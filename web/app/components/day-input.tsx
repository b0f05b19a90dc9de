import { useEffect, useRef, type InputHTMLAttributes } from "react";
import { DAY_PATTERN, DAY_PLACEHOLDER, dayProblem, showDay } from "../lib/day-field";

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "defaultValue" | "value"> & {
  name: string;
  // an ISO day (shown as dd/mm/yyyy), or the text typed before (shown as it is)
  value?: string;
};

// A day field in dd/mm/yyyy whatever the browser's locale (lib/day-field.ts says why not <input type="date">). Text
// that is no day (31/02/2026, 2026/12/31) makes the field invalid with a message saying how to write it, so the
// browser holds the form back (a day the loader cannot read would otherwise be dropped from the filter unsaid).
export function DayInput({ value, onInput, ...rest }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const check = (field: HTMLInputElement) => field.setCustomValidity(dayProblem(field.value));
  useEffect(() => {
    if (input.current) check(input.current);
  }, [value]);
  return (
    <input
      ref={input}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder={DAY_PLACEHOLDER}
      pattern={DAY_PATTERN}
      title="A day as dd/mm/yyyy, e.g. 31/12/2026"
      defaultValue={showDay(value ?? "")}
      onInput={(event) => {
        check(event.currentTarget);
        onInput?.(event);
      }}
      {...rest}
    />
  );
}
