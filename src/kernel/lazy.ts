// A value built on first use, once; later callers share the same promise (a failed build stays
// failed: what could not start is reported the same way to every caller).
export class Lazy<T> {
  private promise: Promise<T> | undefined;
  private value: T | undefined;

  constructor(private readonly build: () => Promise<T>) {}

  get(): Promise<T> {
    this.promise ??= this.build().then((value) => (this.value = value));
    return this.promise;
  }

  /** The build in progress or done, without starting one. */
  started(): Promise<T> | undefined {
    return this.promise;
  }

  /** The value if it has been built, without building it. */
  peek(): T | undefined {
    return this.value;
  }
}
