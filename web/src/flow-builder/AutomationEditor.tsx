/** Placeholder: the builder replaces this with the canvas, side panel and Reports tab. */
export function AutomationEditor({ automationId }: { automationId: string }) {
  return <p>Automation {automationId}</p>;
}
