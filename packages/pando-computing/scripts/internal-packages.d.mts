// Types of `internal-packages.mjs`, for the tests written in TypeScript.
export interface Manifest {
  readonly name: string
  readonly version: string
  readonly dependencies?: Readonly<Record<string, string>>
  readonly bundleDependencies?: readonly string[]
  readonly bin?: Readonly<Record<string, string>>
  readonly files?: readonly string[]
  readonly [field: string]: unknown
}
export declare const PACKAGE_DIR: string
export declare const REPOSITORY_ROOT: string
export declare const INTERNAL_SCOPE: string
export declare function readManifest(dir: string): Manifest
export declare function workspaceDirs(): Map<string, string>
export declare function internalClosure(manifest: Manifest): Map<string, string>
export declare function externalDependencies(closure: Map<string, string>): Map<string, string>
