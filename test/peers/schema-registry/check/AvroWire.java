// An independent reader and writer of Confluent's Avro wire format for the tests: Apache Avro's
// Java implementation (the registry peer's avro jar), with the schema fetched from or registered
// in the registry over its REST API. Run as a single-file program:
//   java -cp '<lib>/*' AvroWire.java read  URL HEX…            → each record as Avro's JSON text
//   java -cp '<lib>/*' AvroWire.java write URL SUBJECT SCHEMA JSON…  → each record's wire bytes as hex
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

public class AvroWire {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  static String call(String method, String url, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/vnd.schemaregistry.v1+json");
    b = body == null ? b.GET() : b.method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) throw new RuntimeException(method + " " + url + " → " + r.statusCode() + " " + r.body());
    return r.body();
  }

  public static void main(String[] args) throws Exception {
    GenericData data = new GenericData();
    data.addLogicalTypeConversion(new Conversions.DecimalConversion());
    data.addLogicalTypeConversion(new Conversions.UUIDConversion());
    data.addLogicalTypeConversion(new TimeConversions.DateConversion());
    data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    data.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
    String url = args[1];
    if (args[0].equals("read")) {
      for (int i = 2; i < args.length; i++) {
        ByteBuffer buf = ByteBuffer.wrap(HexFormat.of().parseHex(args[i]));
        if (buf.get() != 0) throw new RuntimeException("magic byte is not 0");
        int id = buf.getInt();
        String schemaText = JSON.readTree(call("GET", url + "/schemas/ids/" + id, null)).get("schema").asText();
        Schema schema = new Schema.Parser().parse(schemaText);
        GenericDatumReader<Object> reader = new GenericDatumReader<>(schema, schema, data);
        byte[] body = new byte[buf.remaining()];
        buf.get(body);
        Object rec = reader.read(null, DecoderFactory.get().binaryDecoder(body, null));
        System.out.println("id=" + id + " schema=" + schema.getFullName() + " " + rec);
      }
    } else {
      String subject = args[2];
      Schema schema = new Schema.Parser().parse(args[3]);
      String req = JSON.writeValueAsString(java.util.Map.of("schema", schema.toString()));
      int id = JSON.readTree(call("POST", url + "/subjects/" + subject + "/versions", req)).get("id").asInt();
      GenericDatumReader<Object> jsonReader = new GenericDatumReader<>(schema, schema, data);
      GenericDatumWriter<Object> writer = new GenericDatumWriter<>(schema, data);
      for (int i = 4; i < args.length; i++) {
        Object rec = jsonReader.read(null, DecoderFactory.get().jsonDecoder(schema, args[i]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(rec, enc);
        enc.flush();
        System.out.println(HexFormat.of().formatHex(out.toByteArray()));
      }
    }
  }
}
