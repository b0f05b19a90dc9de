import type { ReactNode } from "react";

type AlertBannerProps = { tone: "error" | "info" | "success" | "warning"; children: ReactNode; testId?: string };

export function AlertBanner({ tone, children, testId }: AlertBannerProps) {
  return (
    <div className={`banner banner-${tone}`} role={tone === "error" ? "alert" : "status"} data-testid={testId}>
      {children}
    </div>
  );
}
