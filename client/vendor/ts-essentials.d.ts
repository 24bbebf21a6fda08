// The two types from ts-essentials 10.0.3 (MIT, Chris Kaczor) that @payloadcms/sdk's declarations and
// vendor/payload.d.ts use, as ts-essentials declares them: DeepPartial (the SDK's update data) and
// NonNever. The package itself is 1.1 MB of types for these two; scripts/build.mjs points the SDK here.
type Primitive = string | number | boolean | bigint | symbol | undefined | null
type Builtin = Primitive | Function | Date | Error | RegExp
type IsTuple<Type> = Type extends readonly any[] ? (any[] extends Type ? never : Type) : never
type IsAny<Type> = 0 extends 1 & Type ? true : false
type IsUnknown<Type> = IsAny<Type> extends true ? false : unknown extends Type ? true : false

export type DeepPartial<Type> = Type extends Exclude<Builtin, Error>
  ? Type
  : Type extends Map<infer Keys, infer Values>
    ? Map<DeepPartial<Keys>, DeepPartial<Values>>
    : Type extends ReadonlyMap<infer Keys, infer Values>
      ? ReadonlyMap<DeepPartial<Keys>, DeepPartial<Values>>
      : Type extends WeakMap<infer Keys, infer Values>
        ? WeakMap<DeepPartial<Keys>, DeepPartial<Values>>
        : Type extends Set<infer Values>
          ? Set<DeepPartial<Values>>
          : Type extends ReadonlySet<infer Values>
            ? ReadonlySet<DeepPartial<Values>>
            : Type extends WeakSet<infer Values>
              ? WeakSet<DeepPartial<Values>>
              : Type extends ReadonlyArray<infer Values>
                ? Type extends IsTuple<Type>
                  ? { [Key in keyof Type]?: DeepPartial<Type[Key]> }
                  : Type extends Array<Values>
                    ? Array<DeepPartial<Values> | undefined>
                    : ReadonlyArray<DeepPartial<Values> | undefined>
                : Type extends Promise<infer Value>
                  ? Promise<DeepPartial<Value>>
                  : Type extends {}
                    ? { [Key in keyof Type]?: DeepPartial<Type[Key]> }
                    : IsUnknown<Type> extends true
                      ? unknown
                      : Partial<Type>

export type NonNever<Type extends {}> = Pick<Type, { [Key in keyof Type]: Type[Key] extends never ? never : Key }[keyof Type]>
