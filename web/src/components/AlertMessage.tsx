/** A message the user must notice (role="alert" is announced at once); nothing when there is none. */
export function AlertMessage({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="notice notice-error" role="alert">
      {message}
    </p>
  );
}
