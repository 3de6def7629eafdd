import CRSVG
import Foundation

/// Turns Kestrel's SVG figures into PNG with librsvg (parsing, text through Pango, anti-aliased
/// drawing) into a cairo image surface, which cairo encodes as PNG.
public enum SVGRasterizer {
    /// The PNG bytes of `svg` drawn at its own width × height times `scale` (2 for sharp figures
    /// on high-density screens).
    /// - Throws: `FigureError` when librsvg rejects the SVG or the size is not drawable.
    public static func png(fromSVG svg: String, scale: Double = 1) throws -> Data {
        guard scale > 0, scale <= 8, scale.isFinite else {
            throw FigureError(message: "The PNG scale must be in (0, 8], got \(scale).")
        }
        let bytes = Array(svg.utf8)
        var error: UnsafeMutablePointer<GError>?
        guard let handle = rsvg_handle_new_from_data(bytes, gsize(bytes.count), &error) else {
            throw FigureError(message: "librsvg cannot read the SVG: \(consume(error)).")
        }
        defer { g_object_unref(handle) }
        rsvg_handle_set_dpi(handle, 96)
        var width = 0.0, height = 0.0
        guard rsvg_handle_get_intrinsic_size_in_pixels(handle, &width, &height) != 0 else {
            throw FigureError(message: "The SVG has no width and height in pixels to draw it at.")
        }
        guard (width * scale).isFinite, (height * scale).isFinite, width * scale <= 16_384, height * scale <= 16_384 else {
            throw FigureError(message: "The figure is \(width * scale)×\(height * scale) pixels; a PNG must be 1…16384 on each side.")
        }
        let pixelWidth = Int((width * scale).rounded(.up)), pixelHeight = Int((height * scale).rounded(.up))
        guard (1...16_384).contains(pixelWidth), (1...16_384).contains(pixelHeight) else {
            throw FigureError(message: "The figure is \(pixelWidth)×\(pixelHeight) pixels; a PNG must be 1…16384 on each side.")
        }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(pixelWidth), Int32(pixelHeight)) else {
            throw FigureError(message: "cairo cannot allocate a \(pixelWidth)×\(pixelHeight) image.")
        }
        defer { cairo_surface_destroy(surface) }
        guard let context = cairo_create(surface) else { throw FigureError(message: "cairo cannot draw on the image.") }
        defer { cairo_destroy(context) }
        // A white page under the figure, as matplotlib's savefig: transparent corners would show black in some viewers.
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
        cairo_scale(context, scale, scale)
        var viewport = RsvgRectangle(x: 0, y: 0, width: width, height: height)
        guard rsvg_handle_render_document(handle, context, &viewport, &error) != 0 else {
            throw FigureError(message: "librsvg cannot draw the SVG: \(consume(error)).")
        }
        cairo_surface_flush(surface)
        let sink = PNGSink()
        let status = cairo_surface_write_to_png_stream(surface, { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<PNGSink>.fromOpaque(closure).takeUnretainedValue().bytes.append(data, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else {
            throw FigureError(message: "cairo cannot encode the PNG: \(String(cString: cairo_status_to_string(status))).")
        }
        return sink.bytes
    }

    /// Collects the PNG stream cairo writes.
    private final class PNGSink { var bytes = Data() }

    /// The message of a GError, freeing it.
    private static func consume(_ error: UnsafeMutablePointer<GError>?) -> String {
        guard let error else { return "unknown error" }
        defer { g_error_free(error) }
        return error.pointee.message.map { String(cString: $0) } ?? "unknown error"
    }
}
