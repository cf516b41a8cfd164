import SesiorTesting
import Testing

@testable import RedisStore

extension RedisStoreTestSuite {
    @Suite struct RedisPubSubTests {
        @Test func deliversChannelAndPatternMessages() async throws {
            try await RedisServer.withRunning { server in
                let pool = try RedisConnectionPool(url: server.url)
                let direct = try await pool.subscribe(to: ["news", "sports"])
                let patterned = try await pool.subscribe(toPatterns: ["room:*"])
                let binary: [UInt8] = [0, 255, 13, 10, 42]
                #expect(try await pool.publish(binary, to: "news") == 1)
                #expect(try await pool.publish(Array("hi".utf8), to: "room:7") == 1)
                #expect(try await pool.publish(Array("go".utf8), to: "sports") == 1)

                var directMessages = direct.makeAsyncIterator()
                #expect(await directMessages.next() == RedisPubSubMessage(channel: "news", payload: binary))
                #expect(await directMessages.next() == RedisPubSubMessage(channel: "sports", payload: Array("go".utf8)))
                var patternMessages = patterned.makeAsyncIterator()
                #expect(await patternMessages.next() == RedisPubSubMessage(channel: "room:7", pattern: "room:*", payload: Array("hi".utf8)))
                await pool.close()
            }
        }

        @Test func resubscribesAfterRedisRestarts() async throws {
            try await RedisServer.withRunning { server in
                var configuration = try RedisConfiguration(url: server.url)
                configuration.reconnectMaximumBackoff = .milliseconds(200)
                let pool = RedisConnectionPool(configuration: configuration)
                let subscription = try await pool.subscribe(to: ["events"])
                var messages = subscription.makeAsyncIterator()
                try await pool.publish([1], to: "events")
                #expect(await messages.next()?.payload == [1])

                await server.kill()
                try await server.restart()
                try await eventually("the subscriber is subscribed again") {
                    (try? await pool.publish([2], to: "events")) == 1
                }
                #expect(await messages.next()?.payload == [2])
                subscription.cancel()
                await pool.close()
            }
        }

        @Test func unsubscribesWhenTheConsumerStops() async throws {
            try await RedisServer.withRunning { server in
                let pool = try RedisConnectionPool(url: server.url)
                let consumer = Task {
                    for await message in try await pool.subscribe(to: ["once"]) {
                        return message.payload
                    }
                    return []
                }
                try await eventually("the consumer is subscribed") {
                    try await pool.send("PUBSUB", "NUMSUB", "once").array?.last?.int == 1
                }
                try await pool.publish([9], to: "once")
                #expect(try await consumer.value == [9])
                try await eventually("the subscription ended with its consumer") {
                    try await pool.send("PUBSUB", "NUMSUB", "once").array?.last?.int == 0
                }
                await pool.close()
            }
        }

        @Test(.timeLimit(.minutes(1))) func shardChannelsComeAndGoAndSurviveARestart() async throws {
            try await RedisServer.withRunning { server in
                var configuration = try RedisConfiguration(url: server.url)
                configuration.reconnectMaximumBackoff = .milliseconds(200)
                let pool = RedisConnectionPool(configuration: configuration)
                let subscription = try await pool.subscribe(toShardChannels: ["a#"])
                var messages = subscription.makeAsyncIterator()
                // A sharded subscriber is reached by SPUBLISH only.
                #expect(try await pool.publish([0], to: "a#") == 0)
                #expect(try await pool.shardPublish([1], to: "a#") == 1)
                #expect(await messages.next() == RedisPubSubMessage(channel: "a#", payload: [1]))

                subscription.subscribe(to: ["b#", "c#"])
                subscription.unsubscribe(from: ["a#"])
                try await eventually("b# and c# are subscribed, a# no longer") {
                    let counts = try await pool.send("PUBSUB", "SHARDNUMSUB", "a#", "b#", "c#").array?.compactMap(\.int)
                    return counts == [0, 1, 1]
                }
                #expect(try await pool.shardPublish([2], to: "a#") == 0)
                #expect(try await pool.shardPublish([3], to: "c#") == 1)
                #expect(await messages.next() == RedisPubSubMessage(channel: "c#", payload: [3]))
                #expect(subscription.channels == ["b#", "c#"])

                await server.kill()
                try await server.restart()
                try await eventually("the shard channels are subscribed again") {
                    (try? await pool.shardPublish([4], to: "b#")) == 1
                }
                #expect(await messages.next() == RedisPubSubMessage(channel: "b#", payload: [4]))
                #expect(try await pool.shardPublish([5], to: "a#") == 0)
                subscription.cancel()
                try await eventually("the subscription ended") {
                    try await pool.send("PUBSUB", "SHARDNUMSUB", "b#").array?.last?.int == 0
                }
                await pool.close()
            }
        }

        /// Thousands of shard channels (one SSUBSCRIBE each, as the sharded adapter's
        /// `dynamic-private` mode has one per socket) are all subscribed at the start and again
        /// after a restart, and every one delivers.
        @Test(.timeLimit(.minutes(1))) func thousandsOfShardChannelsAreResubscribed() async throws {
            try await RedisServer.withRunning { server in
                var configuration = try RedisConfiguration(url: server.url)
                configuration.reconnectMaximumBackoff = .milliseconds(200)
                let pool = RedisConnectionPool(configuration: configuration)
                let channels = (0..<3000).map { "room-\($0)#" }
                let subscription = try await pool.subscribe(toShardChannels: channels)
                func subscribedCount() async -> Int? {
                    try? await pool.send("PUBSUB", "SHARDCHANNELS").array?.count
                }
                #expect(await subscribedCount() == channels.count)
                await server.kill()
                try await server.restart()
                try await eventually("every shard channel is subscribed again") { await subscribedCount() == channels.count }
                var messages = subscription.makeAsyncIterator()
                for channel in [channels[0], channels[1500], channels[2999]] {
                    #expect(try await pool.shardPublish([7], to: channel) == 1)
                    #expect(await messages.next() == RedisPubSubMessage(channel: channel, payload: [7]))
                }
                subscription.cancel()
                await pool.close()
            }
        }
    }
}
