/// Going below a mount point and coming back out.
extension Router {
    /// Runs the middleware added with a path prefix at `layer` (after this router's parameter
    /// handlers for the prefix's captures); its `next` continues at `layer + 1` above the prefix.
    @inline(never)
    func enter(
        _ middleware: any Middleware, _ request: Request, path: ArraySlice<Substring>, fullPath: Substring,
        layer: Int, exit: MountExit, handled: [String: String], fallback: @escaping Next
    ) async throws -> Response {
        let run: @Sendable (Request, [String: String]) async throws -> Response = { request, handled in
            try await middleware.handle(request) { request in
                try await self.dispatch(
                    exit.restore(request), path: path, fullPath: fullPath, from: layer + 1, handled: handled,
                    fallback: fallback)
            }
        }
        if parameterHandlers.isEmpty { return try await run(request, handled) }
        return try await withParameterHandlers(layer: layer, request, handled: handled, then: run)
    }

    /// Enters `router`, mounted at `layer`, with the path from segment `rest` on (after this
    /// router's parameter handlers for the mount path's captures); what it leaves unanswered
    /// continues at `layer + 1` above the mount point.
    @inline(never)
    func enter(
        _ router: Router, _ request: Request, path: ArraySlice<Substring>, rest: Int, fullPath: Substring,
        layer: Int, exit: MountExit, handled: [String: String], fallback: @escaping Next
    ) async throws -> Response {
        guard !parameterHandlers.isEmpty else {
            return try await enterMounted(
                router, request, path: path, rest: rest, fullPath: fullPath, next: layer + 1, exit: exit,
                handled: handled, fallback: fallback)
        }
        return try await withParameterHandlers(layer: layer, request, handled: handled) { request, handled in
            try await self.enterMounted(
                router, request, path: path, rest: rest, fullPath: fullPath, next: layer + 1, exit: exit,
                handled: handled, fallback: fallback)
        }
    }

    /// `enter(_:_:path:rest:fullPath:layer:exit:handled:fallback:)` once the parameter handlers ran:
    /// the mounted router starts with its own parameter handlers not run yet, and with the mount
    /// path's captures only if it has `mergeParams`.
    private func enterMounted(
        _ router: Router, _ request: Request, path: ArraySlice<Substring>, rest: Int, fullPath: Substring,
        next: Int, exit: MountExit, handled: [String: String], fallback: @escaping Next
    ) async throws -> Response {
        var request = request
        if !router.options.contains(.mergeParams) && !request.parameters.isEmpty { request.parameters = [:] }
        return try await router.dispatch(request, path: path[rest...], fullPath: fullPath, from: 0, handled: [:]) {
            request in
            try await self.dispatch(
                exit.restore(request), path: path, fullPath: fullPath, from: next, handled: handled, fallback: fallback)
        }
    }
}
