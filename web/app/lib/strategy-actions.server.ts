import { redirect } from "@remix-run/node";
import {
  AddStrategyTargetDocument,
  RemoveStrategyTargetDocument,
  UpdateStrategyTargetDocument,
  CloneStrategyDocument,
  DeleteStrategyDocument,
  DeployStrategyDocument,
  SendTestAlertDocument,
  StrategyDocument,
  ToggleStrategyDocument,
  UpdateStrategyDocument,
  type DeployStrategyMutation,
  type SendTestAlertMutation,
} from "../graphql/generated/graphql";
import type { OrderSide } from "../graphql/generated/schema-types";
import type { AuthedApi } from "./authed-api.server";
import { checkSettings, readSettingsForm, type SettingsValues } from "./strategy-settings.validate";

export type StrategyActionResult = {
  intent: string;
  message: string | null;
  fieldErrors: Record<string, string>;
  values: SettingsValues | null;
  saved: boolean;
  deployment: DeployStrategyMutation["deployStrategy"] | null;
  testAlert: SendTestAlertMutation["sendTestAlert"] | null;
  /** What happened, for the toast: set by intents that change something */
  done: string | null;
};

const result = (intent: string, patch: Partial<StrategyActionResult> = {}): StrategyActionResult => ({
  intent,
  message: null,
  fieldErrors: {},
  values: null,
  saved: false,
  deployment: null,
  testAlert: null,
  done: null,
  ...patch,
});

const SIDES: readonly OrderSide[] = ["BUY", "SELL", "EXIT"];
const PRICE = /^\d{1,12}(\.\d{1,8})?$/;

// One form post on the strategy page -> one API mutation. Clone and delete navigate away (thrown redirects).
export async function runStrategyAction(api: AuthedApi, id: string, form: FormData): Promise<StrategyActionResult> {
  const intent = String(form.get("intent") ?? "");
  switch (intent) {
    case "save":
      return save(api, id, form);
    case "toggle": {
      const enabled = form.get("enabled") === "true";
      const outcome = await api.execute("mutation", ToggleStrategyDocument, { id, enabled });
      return result(intent, {
        message: outcome.failure?.message ?? null,
        done: outcome.failure ? null : enabled ? "Strategy enabled." : "Strategy disabled.",
      });
    }
    case "deploy": {
      const outcome = await api.execute("mutation", DeployStrategyDocument, { id });
      return result(intent, {
        message: outcome.failure?.message ?? null,
        deployment: outcome.data?.deployStrategy ?? null,
        done: outcome.failure ? null : "Deployed: copy the new secret now.",
      });
    }
    case "test-alert":
      return testAlert(api, id, form);
    case "clone": {
      const outcome = await api.execute("mutation", CloneStrategyDocument, { id });
      if (outcome.failure) return result(intent, { message: outcome.failure.message });
      throw redirect(`/strategies/${outcome.data.cloneStrategy.id}?notice=cloned`, { headers: await api.headers() });
    }
    case "delete": {
      const outcome = await api.execute("mutation", DeleteStrategyDocument, { id });
      if (outcome.failure) return result(intent, { message: outcome.failure.message });
      throw redirect("/strategies", { headers: await api.headers() });
    }
    case "target-add": {
      const account = String(form.get("targetAccount") ?? "");
      const optional = (name: string) => String(form.get(name) ?? "").trim() || undefined;
      const outcome = await api.execute("mutation", AddStrategyTargetDocument, {
        strategyId: id,
        input: {
          ...(account && account !== "paper" && { brokerAccountId: account }),
          multiplier: optional("targetMultiplier"),
          maxQtyPerOrder: optional("targetMaxQty"),
          maxDailyLoss: optional("targetMaxLoss"),
        },
      });
      return result(intent, {
        message: outcome.failure?.message ?? null,
        done: outcome.failure ? null : "Account added: the next alerts are traded there too.",
      });
    }
    case "target-update": {
      const outcome = await api.execute("mutation", UpdateStrategyTargetDocument, {
        id: String(form.get("targetId") ?? ""),
        input: { multiplier: String(form.get("multiplier") ?? "").trim() || "1" },
      });
      return result(intent, {
        message: outcome.failure?.message ?? null,
        done: outcome.failure ? null : "Multiplier saved.",
      });
    }
    case "target-account": {
      const outcome = await api.execute("mutation", UpdateStrategyTargetDocument, {
        id: String(form.get("targetId") ?? ""),
        input: { brokerAccountId: String(form.get("targetAccount") ?? "") },
      });
      return result(intent, {
        message: outcome.failure?.message ?? null,
        done: outcome.failure ? null : "Account changed: the next alerts are traded there.",
      });
    }
    case "target-remove": {
      const outcome = await api.execute("mutation", RemoveStrategyTargetDocument, {
        id: String(form.get("targetId") ?? ""),
      });
      return result(intent, {
        message: outcome.failure?.message ?? null,
        done: outcome.failure ? null : "Account removed.",
      });
    }
    default:
      return result(intent, { message: "Unknown action." });
  }
}

async function testAlert(api: AuthedApi, id: string, form: FormData): Promise<StrategyActionResult> {
  const side = String(form.get("testSide") ?? "BUY") as OrderSide;
  const price = String(form.get("testPrice") ?? "").trim();
  if (!SIDES.includes(side)) return result("test-alert", { message: "Choose BUY, SELL or EXIT." });
  if (price && !PRICE.test(price))
    return result("test-alert", {
      fieldErrors: { testPrice: "Use a plain price such as 2500 or 2500.50, or leave it empty." },
    });
  const outcome = await api.execute("mutation", SendTestAlertDocument, { strategyId: id, side, price: price || null });
  if (outcome.failure) return result("test-alert", { message: outcome.failure.message });
  return result("test-alert", { testAlert: outcome.data.sendTestAlert });
}

async function save(api: AuthedApi, id: string, form: FormData): Promise<StrategyActionResult> {
  const values = readSettingsForm(form);
  const current = await api.execute("query", StrategyDocument, { id });
  if (current.failure) return result("save", { values, message: current.failure.message });
  if (!current.data.strategy) return result("save", { values, message: "This strategy no longer exists." });
  const checked = checkSettings(values, current.data.strategy);
  if (!checked.ok) return result("save", { values, fieldErrors: checked.fieldErrors });
  const outcome = await api.execute("mutation", UpdateStrategyDocument, { id, input: checked.patch });
  if (outcome.failure) {
    const { fieldErrors, message } = outcome.failure;
    const onlyFields = Object.keys(fieldErrors).length > 0;
    return result("save", { values, fieldErrors, message: onlyFields ? null : message });
  }
  return result("save", { saved: true, done: "Settings saved." });
}
