/// TensorFlow's `Event` messages (tensorflow/core/util/event.proto) as the TF 2 summary writer encodes
/// them: scalars as float32 tensors tagged for the `scalars` plugin, histograms as `[k, 3]` float64
/// tensors (left edge, right edge, count) for the `histograms` plugin.
enum SummaryEvent {
    /// The first event of every file: `file_version` "brain.Event:2" and the writer's name.
    static func fileVersion(wallTime: Double) -> [UInt8] {
        var event = ProtobufWriter()
        event.double(1, wallTime)
        event.string(3, "brain.Event:2")
        event.message(10) { $0.string(1, "kestrel.callbacks.TensorBoard") }   // SourceMetadata.writer
        return event.bytes
    }

    /// A scalar summary (`tf.summary.scalar`).
    static func scalar(tag: String, value: Float, step: Int, wallTime: Double) -> [UInt8] {
        let content = (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> ($0 * 8)) }
        return summary(tag: tag, plugin: "scalars", dtype: 1, dimensions: [], content: content, step: step, wallTime: wallTime)
    }

    /// A histogram summary (`tf.summary.histogram`) of prepared buckets.
    static func histogram(tag: String, buckets: [HistogramBuckets.Bucket], step: Int, wallTime: Double) -> [UInt8] {
        var content: [UInt8] = []
        content.reserveCapacity(buckets.count * 24)
        for bucket in buckets {
            for value in [bucket.left, bucket.right, bucket.count] {
                for shift in stride(from: 0, to: 64, by: 8) { content.append(UInt8(truncatingIfNeeded: value.bitPattern >> UInt64(shift))) }
            }
        }
        return summary(tag: tag, plugin: "histograms", dtype: 2, dimensions: [buckets.count, 3], content: content,
                       step: step, wallTime: wallTime)
    }

    /// Event { wall_time, step, summary { value { tag, metadata { plugin_data { plugin_name } }, tensor } } }.
    private static func summary(tag: String, plugin: String, dtype: Int64, dimensions: [Int], content: [UInt8],
                                step: Int, wallTime: Double) -> [UInt8] {
        var event = ProtobufWriter()
        event.double(1, wallTime)
        event.varint(2, Int64(step))
        event.message(5) { summary in                        // Event.summary
            summary.message(1) { value in                    // Summary.value
                value.string(1, tag)
                value.message(8) { tensor in                 // Value.tensor: TensorProto
                    tensor.varint(1, dtype)                  // DT_FLOAT 1, DT_DOUBLE 2
                    tensor.message(2) { shape in             // TensorShapeProto
                        for size in dimensions { shape.message(2) { $0.varint(1, Int64(size)) } }
                    }
                    tensor.bytes(4, content)                 // tensor_content, little-endian
                }
                value.message(9) { metadata in               // SummaryMetadata.plugin_data.plugin_name
                    metadata.message(1) { $0.string(1, plugin) }
                }
            }
        }
        return event.bytes
    }
}
