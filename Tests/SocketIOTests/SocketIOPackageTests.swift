import Testing

@Test func packageLinks() {
    #expect(Bool(true))
}
