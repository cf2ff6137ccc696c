import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../api/problem";
import { problemFields, type Errors, type Field } from "./form";

/**
 * A form's problems, the browser's or the API's: each beside the field it concerns (by key), the
 * rest at the top ({@code general}); once shown, the first field they concern gets the focus.
 */
export function useFormErrors() {
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [shown, setShown] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (shown > 0) {
      form.current?.querySelector<HTMLElement>("[aria-invalid=true], .invalid input")?.focus();
    }
  }, [shown]);

  /** Shows these problems in place of the earlier ones (none: the form is clear). */
  const show = useCallback((next: Errors, top: string | null = null) => {
    setErrors(next);
    setGeneral(top);
    setShown((n) => n + 1);
  }, []);

  /** A field that changed: its problem goes. */
  const clear = useCallback((key: string) => setErrors((e) => {
    if (!e[key]) {
      return e;
    }
    const { [key]: _, ...rest } = e;
    return rest;
  }), []);

  /** Shows why the API refused (a problem's reason beside the field it names, if it names one of {@code fields}). */
  const refused = useCallback((x: unknown, fields: readonly Field[]) => {
    const error = x instanceof ApiError ? x : new ApiError(0, String(x));
    const mapped = problemFields(error.problem, error.message, fields);
    show(mapped.errors, mapped.general ?? null);
  }, [show]);

  return { form, errors, general, show, clear, refused };
}
