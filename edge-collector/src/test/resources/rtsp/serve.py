# A loopback RTSP camera for FfmpegStreamSourceTest: GStreamer's RTSP server (Debian packages
# gir1.2-gst-rtsp-server-1.0, gstreamer1.0-plugins-base, gstreamer1.0-plugins-good, python3-gi) serving a moving
# test picture as MJPEG over RTP at rtsp://127.0.0.1:PORT/cam. Usage: python3 serve.py PORT
import sys

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address('127.0.0.1')
server.set_service(sys.argv[1])
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch('( videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,width=320,height=240,framerate=5/1'
                   ' ! jpegenc ! rtpjpegpay name=pay0 pt=26 )')
factory.set_shared(True)
server.get_mount_points().add_factory('/cam', factory)
if server.attach(None) == 0:
    print('cannot listen on port ' + sys.argv[1], flush=True)
    sys.exit(1)
print('READY', flush=True)
GLib.MainLoop().run()
