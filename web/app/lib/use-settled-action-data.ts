import { useActionData, useNavigation } from "@remix-run/react";

// useActionData is set as soon as the action answers, while the loaders are still revalidating. A
// "Kill switch is ON" banner next to a panel still saying OFF would be a lie, so results wait for idle.
export function useSettledActionData<T>() {
  const outcome = useActionData<T>();
  const navigation = useNavigation();
  return navigation.state === "idle" ? outcome : undefined;
}
