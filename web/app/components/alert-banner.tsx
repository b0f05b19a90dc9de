import type { ReactNode } from "react";

type AlertBannerProps = { tone: "error" | "info" | "success"; children: ReactNode };

export function AlertBanner({ tone, children }: AlertBannerProps) {
  return (
    <div className={`banner banner-${tone}`} role={tone === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}
