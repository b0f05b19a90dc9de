// Sends a TradingView alert to the api's webhook, as TradingView would (JSON body, no auth header).
export async function postAlert(apiBase, alert) {
  const res = await fetch(`${apiBase}/api/webhook/tradingview`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(alert),
  });
  return { status: res.status, body: await res.json() };
}
