export type ExportFilter =
  | { name: "list_id"; operator: "equal"; value: number[] }
  | { name: "subscription_status"; operator: "equal"; value: "subscribed" | "unsubscribed" };
