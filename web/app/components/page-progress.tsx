import { useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";

// A thin bar at the top while the next page's data loads; shown only after a short delay so quick
// navigations do not flicker.
export function PageProgress() {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    if (!busy) return setVisible(false);
    const timer = window.setTimeout(() => setVisible(true), 150);
    return () => window.clearTimeout(timer);
  }, [busy]);
  return visible ? (
    <div className="progress" role="progressbar" aria-label="Loading" data-testid="page-progress" />
  ) : null;
}
