import Testing

// Replaced by the dashboard browser test.
@Test func browserTargetBuilds() {}
